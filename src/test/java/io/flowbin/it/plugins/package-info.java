/** In-process plug-ins the event tests register as steps, found by the server through the service loader. */
@NullMarked
package io.flowbin.it.plugins;

import org.jspecify.annotations.NullMarked;
