/**
 * Token revocation (RFC 7009): a client ends its own access or refresh token.
 */
@NullMarked
package dev.portcullis.oauth2.revocation;

import org.jspecify.annotations.NullMarked;
