"""A durable journal of the transactions a client signs: each one's sender, nonce, signed bytes and hash, written
before it is sent, and what became of it. After a crash, :func:`reconcile` settles every transaction left open
against the chain: mined (or reverted) ones are recorded; one the node still holds is left to be mined; one the node
dropped is sent again as the very same signed bytes (same nonce, same hash: never a second transaction); one whose
nonce another transaction took is marked replaced.

SQLite (standard library), one file, e.g. beside the deployment records::

    layer.use_journal(Path("deployments/sepolia/transactions.sqlite"))   # reconciles, then journals every send
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .transactions import TransactionLayer

__all__ = ["JournalEntry", "Reconciled", "TransactionJournal", "reconcile"]

OPEN = "signed"  # written before sending; its fate not yet known
_SCHEMA = """
CREATE TABLE IF NOT EXISTS transactions (
    hash TEXT PRIMARY KEY,
    chain_id INTEGER NOT NULL,
    sender TEXT NOT NULL,
    nonce INTEGER NOT NULL,
    raw TEXT NOT NULL,
    intent TEXT NOT NULL,
    status TEXT NOT NULL,
    block INTEGER,
    signed_at REAL NOT NULL
)
"""


@dataclass(frozen=True)
class JournalEntry:
    """One journalled transaction."""

    tx_hash: str
    chain_id: int
    sender: str
    nonce: int
    raw: str
    intent: str
    status: str  # signed, mined, reverted, refused, replaced
    block: int | None


@dataclass
class Reconciled:
    """What :func:`reconcile` found for the transactions left open, by hash."""

    mined: list[str] = field(default_factory=list)
    reverted: list[str] = field(default_factory=list)
    still_pending: list[str] = field(default_factory=list)
    resent: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)


class TransactionJournal:
    """The journal file of one chain (``chain_id``): written before each send, updated as transactions settle."""

    def __init__(self, path: str | Path, chain_id: int) -> None:
        self.path, self.chain_id = Path(path), chain_id
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, isolation_level=None)  # autocommit: each write is durable at once
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute(_SCHEMA)

    def record(self, tx_hash: str, sender: str, nonce: int, raw: str, intent: str = "") -> None:
        """Write a signed transaction, before it is sent (the same hash twice is one entry)."""
        self._db.execute(
            "INSERT OR IGNORE INTO transactions VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)",
            (tx_hash.lower(), self.chain_id, sender, nonce, raw, intent, OPEN, time.time()),
        )

    def mark(self, tx_hash: str, status: str, block: int | None = None) -> None:
        """Record what became of a transaction."""
        update = "UPDATE transactions SET status = ?, block = ? WHERE hash = ?"
        self._db.execute(update, (status, block, tx_hash.lower()))

    def entries(self, status: str | None = None) -> list[JournalEntry]:
        """Every entry of this chain (with ``status`` only, if given), in the order they were signed."""
        query = "SELECT * FROM transactions WHERE chain_id = ?" + (" AND status = ?" if status else "")
        params: tuple[Any, ...] = (self.chain_id, status) if status else (self.chain_id,)
        rows = self._db.execute(query + " ORDER BY signed_at, nonce", params).fetchall()
        return [JournalEntry(*row[:8]) for row in rows]

    def open_entries(self) -> list[JournalEntry]:
        """The transactions whose fate is not known yet."""
        return self.entries(OPEN)

    def close(self) -> None:
        self._db.close()

    def __iter__(self) -> Iterator[JournalEntry]:
        return iter(self.entries())


def reconcile(layer: TransactionLayer, journal: TransactionJournal) -> Reconciled:
    """Settle every open entry of ``journal`` against the chain ``layer`` reaches (see the module)."""
    found = Reconciled()
    for entry in journal.open_entries():
        receipt = layer.request("eth_getTransactionReceipt", [entry.tx_hash])
        if receipt is not None:
            status = "mined" if int(receipt["status"], 16) == 1 else "reverted"
            journal.mark(entry.tx_hash, status, int(receipt["blockNumber"], 16))
            (found.mined if status == "mined" else found.reverted).append(entry.tx_hash)
        elif layer.request("eth_getTransactionByHash", [entry.tx_hash]) is not None:
            found.still_pending.append(entry.tx_hash)  # the node holds it: it will be mined
        elif int(layer.request("eth_getTransactionCount", [entry.sender, "latest"]), 16) > entry.nonce:
            journal.mark(entry.tx_hash, "replaced")  # another transaction took its nonce
            found.replaced.append(entry.tx_hash)
        else:
            response = layer.raw_request("eth_sendRawTransaction", [entry.raw])  # the same bytes: the same hash
            if "error" in response:
                journal.mark(entry.tx_hash, "refused")
                found.replaced.append(entry.tx_hash)
            else:
                found.resent.append(entry.tx_hash)
    layer.reset_nonces()  # the chain's nonces, not the ones cached before the crash
    return found
