"""Short reports an RM reads on the phone (/today, /week, /month, /client, /clients, /team).

Figures are pure functions of stored data and a date range; composing them into text is too.
"""
