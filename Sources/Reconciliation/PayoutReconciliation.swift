import APModels

extension Reconciler {
    /// One payout's equation and the matching of each of its lines.
    mutating func reconcilePayout(_ payout: Payout) -> PayoutResult {
        let lines = input.payoutLines[payout.id] ?? []
        let currency = payout.amount.currency
        var sum = WideSum()
        // Counted lines are all in the payout's currency: total them here, merge once per payout.
        var lineTotals = LineTotals()
        var results: [LineFinding] = []
        results.reserveCapacity(lines.count)
        totals.addPayout(payout)

        if payout.status == .failed || payout.status == .canceled {
            diagnostics.append(Diagnose.payoutFailed(payout: payout))
        }

        for (position, fetched) in lines.enumerated() {
            guard case .record(let line) = fetched else {
                unreadable.report(fetched, source: .transaction, payoutID: payout.id)
                ruleCounts[MatchRuleKind.unreadable.ordinal] += 1
                results.append(LineFinding(position: position, match: .unreadable, invoiceID: nil,
                                           paymentRequestID: nil, countedInAmount: false, firstSeenInPayoutID: nil))
                continue
            }

            let direction = line.effectiveDirection
            if direction == nil {
                // The endpoint template, as APClient names the records it cannot read: the same
                // endpoint reads the same in every RECORD_UNREADABLE row and fingerprint.
                unreadable.report(UnreadableRecord(
                    endpoint: "GET /payouts/{id}/transactions", id: line.id,
                    rawJSON: RecordJSON.payoutLine(line),
                    reason: "field \"direction\": missing, and type \"\(line.type.name)\" implies none, so the line "
                        + "cannot be added to or subtracted from the payout"),
                    source: .transaction, payoutID: payout.id)
            }
            var counted = false
            if line.amount.currency != currency {
                diagnostics.append(Diagnose.payoutCurrencyMismatch(payout: payout, line: line))
            } else if let direction {
                counted = true
                switch direction {
                case .inbound: sum.add(line.amount.minorUnits)
                case .outbound: sum.subtract(line.amount.minorUnits)
                }
                lineTotals.add(line, direction: direction)
            }

            // The first payout (in payout order) that lists a transaction is its home; later ones are extras.
            var firstSeen: String?
            let isHome: Bool
            // One hash lookup for the common case of a new id; a repeated id is put back.
            if let existing = knownIndex.updateValue(known.count, forKey: line.id) {
                knownIndex[line.id] = existing
                isHome = false
                if let home = known[existing].homePayoutID, home != payout.id {
                    firstSeen = home
                    diagnostics.append(Diagnose.txnInMultiplePayouts(payoutID: payout.id, transactionID: line.id,
                                                                     firstPayoutID: home))
                }
            } else {
                isHome = true
            }

            let (rule, invoiceID, requestID) = match(line)
            ruleCounts[rule.kind.ordinal] += 1
            if isHome {
                known.append(KnownTransaction(id: line.id, type: line.type, status: line.status, amount: line.amount,
                                              invoiceID: invoiceID, paymentRequestID: requestID,
                                              homePayoutID: payout.id))
                if line.status != .succeeded {
                    diagnostics.append(Diagnose.txnNotSucceeded(payoutID: payout.id, line: line))
                }
                switch rule {
                case .unmatched where line.type.needsLink:
                    diagnostics.append(Diagnose.txnUnlinked(payoutID: payout.id, line: line))
                case .suggested(let ids):
                    diagnostics.append(Diagnose.txnSuggestedMatch(payoutID: payout.id, line: line, candidate: ids[0]))
                case .ambiguous(let ids):
                    diagnostics.append(Diagnose.txnAmbiguousMatch(payoutID: payout.id, line: line, candidates: ids))
                default:
                    break
                }
                if let invoiceID {
                    invoiceLinks.append(LinkingLine(targetID: invoiceID, payoutID: payout.id, transactionID: line.id))
                }
                if let requestID {
                    requestLinks.append(LinkingLine(targetID: requestID, payoutID: payout.id, transactionID: line.id))
                }
            }
            results.append(LineFinding(position: position, match: rule, invoiceID: invoiceID,
                                       paymentRequestID: requestID, countedInAmount: counted,
                                       firstSeenInPayoutID: firstSeen))
        }

        totals.addLines(lineTotals, currency: currency)
        let computed = sum.value
        let amount = payout.amount.minorUnits
        if computed == nil {
            diagnostics.append(Diagnose.amountOverflow(subject: "transactions of payout \(payout.id)",
                                                       detail: "payout_transactions", currency: currency,
                                                       payoutID: payout.id))
        } else if lines.isEmpty {
            if amount != 0 { diagnostics.append(Diagnose.payoutEmpty(payout: payout)) }
        } else if let computed, computed != amount {
            diagnostics.append(Diagnose.payoutAmountMismatch(payout: payout, computed: computed))
        }
        var difference: Int64?
        if let computed {
            let (d, overflow) = amount.subtractingReportingOverflow(computed)
            difference = overflow ? nil : d
        }
        // The fetched lines themselves are shared with the input, not copied.
        return PayoutResult(payout: payout, lines: PayoutLines(records: lines, findings: results), computedAmount: computed,
                            difference: difference, diagnosticCount: 0)
    }

    /// Matching in the priority order of docs/diagnostics.md § How the run decides: the line's link, the link from
    /// GET /payments, then candidate invoices (reported, never a match).
    func match(_ line: PayoutTransaction) -> (MatchRule, invoiceID: String?, paymentRequestID: String?) {
        guard line.type.canLink else { return (.notApplicable, nil, nil) }
        if line.invoiceID != nil || line.paymentRequestID != nil {
            return (.payoutLink, line.invoiceID, line.paymentRequestID)
        }
        let payment = payments[line.id]
        if let payment, payment.invoiceID != nil || payment.paymentRequestID != nil {
            return (.paymentsLookup, payment.invoiceID, payment.paymentRequestID)
        }
        guard line.type.needsLink else { return (.unmatched, nil, nil) }
        let found = candidates.candidates(for: line.amount, customerID: line.customerID ?? payment?.customerID)
        switch found.count {
        case 0: return (.unmatched, nil, nil)
        case 1: return (.suggested(found), nil, nil)
        default: return (.ambiguous(found), nil, nil)
        }
    }
}
