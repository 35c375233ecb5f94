package cli

import "errors"

// errSilent ends a command whose output already said what went wrong.
var errSilent = errors.New("failed")

// usageError is a value on the command line that cannot be used (an
// unknown --tz): the command ends with exit status 2, as for bad usage.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// exitCode is the exit status for the error that ended the command.
func exitCode(err error) int {
	if errors.As(err, new(usageError)) {
		return 2
	}
	return 1
}
