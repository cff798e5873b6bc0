"""Worklists: the tasks waiting for someone, with the facts they need to choose the next one.

``selectors`` reads the tasks a person may act on (their own and their role's shared
queue), ``views`` shows them as one page in the task application's list view.
"""
