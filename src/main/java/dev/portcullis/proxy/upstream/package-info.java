/**
 * Backend credentials held by the gateway: tokens the CRM backend issued to the gateway (client_credentials at the
 * backend's own token endpoint), cached for every replica and put on proxied requests in place of the caller's.
 */
@NullMarked
package dev.portcullis.proxy.upstream;

import org.jspecify.annotations.NullMarked;
