/**
 * Limits on guessing credentials: attempts counted in the store, shared by every replica.
 */
@NullMarked
package dev.portcullis.oauth2.guard;

import org.jspecify.annotations.NullMarked;
