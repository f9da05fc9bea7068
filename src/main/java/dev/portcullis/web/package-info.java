@NullMarked
package dev.portcullis.web;

import org.jspecify.annotations.NullMarked;
