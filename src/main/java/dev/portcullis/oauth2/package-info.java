@NullMarked
package dev.portcullis.oauth2;

import org.jspecify.annotations.NullMarked;
