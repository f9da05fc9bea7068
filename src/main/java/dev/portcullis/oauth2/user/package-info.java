@NullMarked
package dev.portcullis.oauth2.user;

import org.jspecify.annotations.NullMarked;
