/**
 * How a service is put together: the settings it is built from, checked as a whole
 * ({@link io.thumbnail.internal.assembly.ServiceSettings}, with the {@link io.thumbnail.internal.assembly.ServiceHooks}
 * only tests and benchmarks change), the wiring of its parts and the order they start and stop in
 * ({@link io.thumbnail.internal.assembly.ServiceAssembly}), its background work run by hand
 * ({@link io.thumbnail.internal.assembly.BackgroundWork}), its state for health checks, and the gate its public calls
 * pass while it is open. May use every other internal package; none of them uses it. Internal: not part of the public
 * API.
 */
package io.thumbnail.internal.assembly;
