/**
 * The implementations of the core's storage SPI ({@code dev.portcullis.oauth2.store}): {@code inmemory} and
 * {@code redis}, which pass one contract suite. Only {@code store.redis} touches Redis.
 */
@NullMarked
package dev.portcullis.store;

import org.jspecify.annotations.NullMarked;
