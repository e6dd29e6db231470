package com.conversionrules.store;

import java.util.List;

/** What is due to one endpoint: retries whose time has come, and deliveries never tried. */
public record DueDeliveries(List<DueDelivery> retries, List<DueDelivery> fresh) {
}
