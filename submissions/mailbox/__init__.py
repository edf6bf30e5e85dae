"""The call's mailbox: messages read over IMAP become submissions."""
