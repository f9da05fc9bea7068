@NullMarked
package dev.portcullis.web.admin;

import org.jspecify.annotations.NullMarked;
