package main

import "errors"

// errSilent ends a command whose output already said what went wrong.
var errSilent = errors.New("failed")
