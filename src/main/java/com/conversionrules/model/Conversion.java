package com.conversionrules.model;

/** What a policy hands to the sender when an event converts an enrollment. */
public record Conversion(Enrollment enrollment, UserEvent event) {
}
