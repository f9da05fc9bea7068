@NullMarked
package dev.portcullis.proxy;

import org.jspecify.annotations.NullMarked;
