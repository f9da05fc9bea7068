/**
 * The storage SPI: small reactive interfaces named after the questions the protocol asks. Two implementations,
 * {@code redis} and {@code inmemory}, pass one contract suite. Only {@code store.redis} touches Redis.
 */
@NullMarked
package dev.portcullis.store;

import org.jspecify.annotations.NullMarked;
