@NullMarked
package dev.portcullis.store.inmemory;

import org.jspecify.annotations.NullMarked;
