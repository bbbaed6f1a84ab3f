package dev.dxreactor.benchmarks.cim;

import dev.dxreactor.cim.MiddlewareChain;

/**
 * The chain that measures what fusing costs with no work to hide it: four middlewares that only pass the
 * request on and the response back ({@link PassThroughMiddlewares}). dx-cim's processor generates
 * {@code BenchPassThroughChainHandler}, the fused pass-through variant, from it when the module compiles.
 */
@MiddlewareChain({PassThroughMiddlewares.First.class, PassThroughMiddlewares.Second.class,
        PassThroughMiddlewares.Third.class, PassThroughMiddlewares.Fourth.class})
interface BenchPassThroughChain {
}
