/**
 * The gateway's own HTTP server connections: limits that Reactor Netty does not set by itself.
 */
@NullMarked
package dev.portcullis.web.server;

import org.jspecify.annotations.NullMarked;
