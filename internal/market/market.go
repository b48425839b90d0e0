// Package market is Bela's domain: the people and roles of a Pemda's direct purchasing from
// micro and small enterprises (UMK), money and tax arithmetic, the accountability rules, the
// order state machine and the error codes. It imports the standard library only, so every rule
// can be read and tested without a database or a web server.
package market
