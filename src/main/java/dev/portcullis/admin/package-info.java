/**
 * The administration application layer: the rules of administering clients, users and grants that every adapter
 * (the JSON API, the pages, bootstrap) applies alike, and who may administer at all.
 */
@NullMarked
package dev.portcullis.admin;

import org.jspecify.annotations.NullMarked;
