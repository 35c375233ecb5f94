//go:build race

package serve

// raceEnabled: the race detector slows SSH handshakes about tenfold, so
// the long loops run fewer times under it.
const raceEnabled = true
