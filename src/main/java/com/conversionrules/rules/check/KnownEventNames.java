package com.conversionrules.rules.check;

import com.conversionrules.rules.EditDistance;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Event names a documented source sends. A rule that waits for any other name is almost always a
 * typo, and a typo in an event name never matches and never fails: it just never converts anyone.
 * Custom names are allowed (a warning, not an error); add a source's names here when it is connected.
 */
public final class KnownEventNames {
    /** Klaviyo metrics (help.klaviyo.com, "Guide to Klaviyo metrics"). */
    static final Set<String> KLAVIYO = Set.of(
            "Placed Order", "Ordered Product", "Fulfilled Order", "Cancelled Order", "Refunded Order",
            "Started Checkout", "Viewed Product", "Added to Cart", "Active on Site",
            "Received Email", "Opened Email", "Clicked Email", "Bounced Email", "Marked Email as Spam",
            "Unsubscribed", "Subscribed to List", "Received SMS", "Clicked SMS", "Sent SMS");
    /** Segment spec names: e-commerce and email events, and page calls as the service names them. */
    static final Set<String> SEGMENT = Set.of(
            "Products Searched", "Product List Viewed", "Product Clicked", "Product Viewed", "Product Added",
            "Product Removed", "Cart Viewed", "Checkout Started", "Checkout Step Viewed", "Checkout Step Completed",
            "Payment Info Entered", "Order Updated", "Order Completed", "Order Refunded", "Order Cancelled",
            "Coupon Applied", "Product Added to Wishlist", "Product Shared",
            "Email Delivered", "Email Opened", "Email Link Clicked", "Email Bounced", "Email Marked as Spam",
            "Page Viewed");
    private static final int MAX_TYPO_DISTANCE = 3;

    private KnownEventNames() {
    }

    public static boolean isKnown(String name) {
        return KLAVIYO.contains(name) || SEGMENT.contains(name);
    }

    /** The known name closest in spelling, when one is close enough to be the intended one. */
    public static Optional<String> closest(String name) {
        return all().stream()
                .filter(known -> distance(known.toLowerCase(), name.toLowerCase()) <= MAX_TYPO_DISTANCE)
                .min(Comparator.comparingInt(known -> distance(known.toLowerCase(), name.toLowerCase())));
    }

    public static List<String> all() {
        return Stream.concat(KLAVIYO.stream(), SEGMENT.stream()).sorted().toList();
    }

    /** Edit distance: insertions, deletions and substitutions. */
    static int distance(String a, String b) {
        return EditDistance.between(a, b);
    }
}
