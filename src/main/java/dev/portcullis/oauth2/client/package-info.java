@NullMarked
package dev.portcullis.oauth2.client;

import org.jspecify.annotations.NullMarked;
