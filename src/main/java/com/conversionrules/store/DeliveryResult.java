package com.conversionrules.store;

/**
 * One attempt's result as it is stored, on the delivery's row ({@link DueDelivery#seq()}):
 * delivered, or failed and retried at {@code nextAttemptAt} or given up. {@code gone} (410) also
 * disables the endpoint.
 */
public record DeliveryResult(long delivery, String exitId, String endpoint, boolean delivered, boolean gone,
                             Integer status, String failure, long at, long nextAttemptAt, boolean givingUp) {
}
