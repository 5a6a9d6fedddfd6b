"""Rules every layer shares (store, live view, notebook views, server), each defined once.

Plain Python with no dependencies, so the live view can compare two floats
without importing SQLAlchemy, and the store can flatten params without IPython.
"""
