package io.tilemud.admission;

import io.tilemud.session.CacheUnavailableException;

/**
 * The cache lost the admission ledger and another process is still rebuilding it: as transient as a cache outage
 * (callers answer {@code SERVICE_DEGRADED} with a retry hint), and nothing was decided.
 */
public class LedgerRebuildingException extends CacheUnavailableException {
    public LedgerRebuildingException() {
        super("the admission ledger is being rebuilt after a cache loss", null);
    }
}
