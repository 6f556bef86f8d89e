"""Text facts shared by every stage: dates, URLs, encodings and Korean text patterns.

The bottom layer: it imports nothing from the rest of ainews (models build on it), so collect,
extract, analyze and publish read a date, a URL or an encoding the same way.
"""
