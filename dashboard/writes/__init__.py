"""One function per user action: it checks the actor's permission, validates, and writes the
change with its history in one transaction. Pages and the command line call these alone."""
