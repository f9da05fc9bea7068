package dev.portcullis.proxy;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.internal.PlatformDependent;

/**
 * Samples this JVM's memory every 50 ms while a transfer runs and keeps the peaks over the baseline taken at the
 * start, for the "flat memory" checks of the streaming tests. The gateway, its backend and the test client share the
 * JVM, so the figures are an upper bound for the gateway alone.
 *
 * <p>Direct memory is measured three ways because Netty may allocate it by different means: Netty's own counter
 * (when it allocates without the JDK's cleaner), the JDK's {@code direct} buffer pool (when it does not), and the
 * pooled allocator's arenas, which the brief names. Heap is {@link MemoryMXBean}'s used heap, garbage included.
 */
final class MemoryPeak implements AutoCloseable {

	private static final MemoryMXBean HEAP = ManagementFactory.getMemoryMXBean();

	private static final BufferPoolMXBean DIRECT_POOL = ManagementFactory
		.getPlatformMXBeans(BufferPoolMXBean.class)
		.stream()
		.filter((pool) -> "direct".equals(pool.getName()))
		.findFirst()
		.orElseThrow();

	private final String label;

	private final Sample baseline;

	private final ScheduledExecutorService sampler;

	private final long allocatedAtStart = allocatedHeap();

	private final long collectionsAtStart = collections();

	private long allocated;

	private long collectionsDuring;

	private volatile long heapPeak;

	private volatile long directPeak;

	private volatile long pooledPeak;

	private volatile long totalPeak;

	private volatile int samples;

	private boolean closed;

	private MemoryPeak(String label) {
		this.label = label;
		this.baseline = Sample.now();
		this.sampler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "memory-peak-" + label);
			thread.setDaemon(true);
			return thread;
		});
		this.sampler.scheduleAtFixedRate(this::sample, 0, 50, TimeUnit.MILLISECONDS);
	}

	/** Collects garbage once, so that the baseline is what is live, then starts sampling. */
	static MemoryPeak start(String label) {
		System.gc();
		return new MemoryPeak(label);
	}

	private synchronized void sample() {
		Sample now = Sample.now();
		this.heapPeak = Math.max(this.heapPeak, now.heap - this.baseline.heap);
		this.directPeak = Math.max(this.directPeak, now.direct - this.baseline.direct);
		this.pooledPeak = Math.max(this.pooledPeak, now.pooled - this.baseline.pooled);
		this.totalPeak = Math.max(this.totalPeak, now.heap + now.direct - this.baseline.heap - this.baseline.direct);
		this.samples++;
	}

	/** The largest growth of used heap plus direct memory over the baseline. */
	long totalPeakGrowth() {
		return this.totalPeak;
	}

	long heapPeakGrowth() {
		return this.heapPeak;
	}

	long directPeakGrowth() {
		return this.directPeak;
	}

	long pooledDirectPeakGrowth() {
		return this.pooledPeak;
	}

	int samples() {
		return this.samples;
	}

	/** Stops sampling (after a last sample) and prints the peaks; again does nothing. */
	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.sampler.shutdownNow();
		try {
			this.sampler.awaitTermination(1, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		sample();
		this.allocated = allocatedHeap() - this.allocatedAtStart;
		this.collectionsDuring = collections() - this.collectionsAtStart;
		System.out.println(this);
	}

	@Override
	public String toString() {
		return String.format(
				"%s: peak growth over baseline: heap+direct %.1f MiB (heap %.1f MiB, direct %.1f MiB, pooled arenas %.1f MiB), "
						+ "%d samples; %.1f MiB allocated on the heap, %d collections; baseline heap %.1f MiB direct %.1f MiB; "
						+ "allocator %s",
				this.label, mib(this.totalPeak), mib(this.heapPeak), mib(this.directPeak), mib(this.pooledPeak),
				this.samples, mib(this.allocated), this.collectionsDuring, mib(this.baseline.heap), mib(this.baseline.direct),
				ByteBufAllocator.DEFAULT.getClass().getSimpleName());
	}

	/** Bytes allocated on the heap by all threads so far (HotSpot), or 0 where unknown. */
	private static long allocatedHeap() {
		if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads) {
			return threads.getTotalThreadAllocatedBytes();
		}
		return 0;
	}

	private static long collections() {
		return ManagementFactory.getGarbageCollectorMXBeans()
			.stream()
			.mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionCount)
			.sum();
	}

	private static double mib(long bytes) {
		return bytes / (1024.0 * 1024.0);
	}

	private record Sample(long heap, long direct, long pooled) {

		static Sample now() {
			long heap = HEAP.getHeapMemoryUsage().getUsed();
			// Netty counts what it allocates without the JDK's cleaner (-1 when it uses the cleaner); the JDK's
			// direct pool counts the rest. Together: all direct memory of the JVM.
			long direct = DIRECT_POOL.getMemoryUsed() + Math.max(0, PlatformDependent.usedDirectMemory());
			long pooled = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
			if (ByteBufAllocator.DEFAULT != PooledByteBufAllocator.DEFAULT
					&& ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider) {
				pooled += provider.metric().usedDirectMemory();
			}
			return new Sample(heap, direct, pooled);
		}

	}

}
