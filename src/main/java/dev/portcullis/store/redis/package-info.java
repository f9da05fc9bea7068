@NullMarked
package dev.portcullis.store.redis;

import org.jspecify.annotations.NullMarked;
