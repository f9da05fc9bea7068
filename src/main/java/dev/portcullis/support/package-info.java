@NullMarked
package dev.portcullis.support;

import org.jspecify.annotations.NullMarked;
