"""A loan's life after payout beyond repayment: restructuring, collections and write-off."""
