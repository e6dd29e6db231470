package com.conversionrules.store;

import java.util.List;

/**
 * What is due to one endpoint: retries whose time has come and deliveries never tried (each empty
 * when not asked for), and when its next retry not due yet comes due (null when none waits or
 * retries were not asked for).
 */
public record DueDeliveries(List<DueDelivery> retries, List<DueDelivery> fresh, Long nextRetryAt) {
}
