@NullMarked
package dev.portcullis.config;

import org.jspecify.annotations.NullMarked;
