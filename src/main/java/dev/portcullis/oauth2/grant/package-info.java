@NullMarked
package dev.portcullis.oauth2.grant;

import org.jspecify.annotations.NullMarked;
