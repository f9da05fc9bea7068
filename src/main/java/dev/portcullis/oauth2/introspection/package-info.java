/**
 * Token introspection (RFC 7662): a resource server asks whether a token is active, and whose it is.
 */
@NullMarked
package dev.portcullis.oauth2.introspection;

import org.jspecify.annotations.NullMarked;
