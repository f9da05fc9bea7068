@NullMarked
package dev.portcullis.web.authorize;

import org.jspecify.annotations.NullMarked;
