"""The outbox: reliable delivery of messages that leave the building (SPEC K3/G5).

A service writes an ``OutboxMessage`` in the same transaction as its domain change
(``services.outbox_enqueue``); the ``outbox_worker`` command claims due messages
under a lease and hands each to the handler registered for its topic
(``registry.register_handler``), recording every try as a ``DeliveryAttempt``.
"""
