// Package translog keeps Bela's audit trail as an append-only Merkle tree
// whose signed, witness-cosigned checkpoints let anyone prove that no recorded
// event was altered, removed, reordered or forked away.
//
// Leaves are opaque bytes (the canonical encoding of a public audit event,
// produced elsewhere). Hashing follows RFC 6962 through
// golang.org/x/mod/sumdb/tlog; checkpoints follow the C2SP tlog-checkpoint
// format as signed notes (golang.org/x/mod/sumdb/note); witness cosignatures
// follow C2SP tlog-cosignature (cosignature/v1, Ed25519).
//
// The package knows no SQL. The storage it needs is described by [HashReader]
// and [Store]; [MemoryStore] is an in-memory implementation for tests. A
// writer turns new leaves into stored hashes with [AppendHashes] and persists
// them in its own transaction, then signs checkpoints with [SignCheckpoint].
// [Server] serves the public HTTP protocol under /log/; [Client] speaks it;
// [Verify] and [Witness] are the verifier and the witness.
package translog
