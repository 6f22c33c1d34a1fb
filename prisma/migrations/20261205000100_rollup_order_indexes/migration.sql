-- Unfiltered rankings and table pages read the all-time rows in value or count order.
CREATE INDEX "contract_dimension_totals_total_idx" ON "contract_dimension_totals"("dimension", "grain", "total" DESC);
CREATE INDEX "contract_dimension_totals_n_idx" ON "contract_dimension_totals"("dimension", "grain", "n" DESC);
