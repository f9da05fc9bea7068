/**
 * The admin pages under {@code /admin}, one controller per resource, over the administration application layer.
 */
@NullMarked
package dev.portcullis.web.admin.pages;

import org.jspecify.annotations.NullMarked;
