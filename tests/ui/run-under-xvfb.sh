#!/bin/sh
# Runs one UI test program in its own X server and D-Bus session, as a user's
# desktop would provide them.
exec xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- "$@"
