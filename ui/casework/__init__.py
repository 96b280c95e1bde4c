"""The casework forms of the desktop app (issue 10): registering and working a case,
planning and holding a meeting, the plan van aanpak and the inbox of notices.

Every dialog here only collects input and hands it to one job that calls
:mod:`app.services` in the store thread (:mod:`.forms`); the services decide whether the
user may and whether the input is valid, and a refusal comes back into the open dialog,
next to the field it is about, with nothing typed lost.
"""
