/**
 * The storage SPI the protocol core owns: small reactive interfaces named after the questions the protocol asks,
 * beside the domain types they store. Two implementations, {@code dev.portcullis.store.redis} and
 * {@code dev.portcullis.store.inmemory}, pass one contract suite.
 */
@NullMarked
package dev.portcullis.oauth2.store;

import org.jspecify.annotations.NullMarked;
