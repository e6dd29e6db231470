package com.conversionrules.store;

import com.conversionrules.model.Exit;
import java.util.List;

/** An exit with where its delivery to each sender endpoint stands. */
public record StoredExit(Exit exit, List<DeliveryState> deliveries) {
}
