package org.troupe.bench;

/**
 * Child programs started by a bench or a test end when the process that started them ends, so a
 * killed or crashed parent leaves no orphans behind (Java has no PR_SET_PDEATHSIG).
 */
public final class ParentWatch {
    private ParentWatch() {
    }

    /** Runs {@code action} once the parent process has exited. */
    public static void onParentExit(Runnable action) {
        ProcessHandle.current().parent().ifPresent(p -> p.onExit().thenRun(action));
    }

    /** For child entry points: halts this JVM once the parent process has exited. */
    public static void haltWithParent() {
        onParentExit(() -> Runtime.getRuntime().halt(3));
    }
}
