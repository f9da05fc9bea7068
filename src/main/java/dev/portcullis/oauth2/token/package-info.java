@NullMarked
package dev.portcullis.oauth2.token;

import org.jspecify.annotations.NullMarked;
