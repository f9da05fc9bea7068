/**
 * Moving an existing installation's clients and users into Portcullis: the SuiteCRM import, a one-shot command of the
 * same jar ({@code java -jar portcullis.jar import suitecrm …}) in an application context of its own.
 */
@NullMarked
package dev.portcullis.migration;

import org.jspecify.annotations.NullMarked;
