package com.conversionrules.holdout;

/**
 * What a campaign's messages changed: the conversion rate of the users who got them (treatment)
 * against the users held out, with the difference's 95% confidence interval.
 *
 * <p>The interval is Newcombe's hybrid score interval for the difference of two independent
 * proportions (Newcombe 1998, "Interval estimation for the difference between independent
 * proportions", method 10): a Wilson score interval for each rate, combined. Unlike the textbook
 * Wald interval it stays inside [-1, 1] and keeps close to 95% coverage with few conversions or
 * rates near 0, which is where holdout groups usually are.
 *
 * @param absolute the treatment rate minus the holdout rate; null unless both groups have users
 * @param relative the absolute lift over the holdout rate; null when the holdout rate is 0
 * @param low      the 95% interval of the absolute lift; null with {@code absolute}
 */
public record Uplift(Group treatment, Group holdout, Double absolute, Double relative, Double low, Double high) {
    public static final String METHOD = "Newcombe hybrid score interval (Wilson score interval for each rate) for "
            + "the difference of two independent proportions, 95%";
    /** The 97.5th percentile of the standard normal distribution. */
    private static final double Z = 1.959963984540054;

    /** Users enrolled in one group and how many of them converted. */
    public record Group(long enrolled, long converted) {
        /** Converted over enrolled; 0 for a group with nobody. */
        public double rate() {
            return enrolled == 0 ? 0 : (double) converted / enrolled;
        }
    }

    public static Uplift of(Group treatment, Group holdout) {
        if (treatment.enrolled() == 0 || holdout.enrolled() == 0) {
            return new Uplift(treatment, holdout, null, null, null, null);
        }
        double p1 = treatment.rate();
        double p2 = holdout.rate();
        double[] w1 = wilson(treatment);
        double[] w2 = wilson(holdout);
        double difference = p1 - p2;
        double low = difference - Math.sqrt(square(p1 - w1[0]) + square(w2[1] - p2));
        double high = difference + Math.sqrt(square(w1[1] - p1) + square(p2 - w2[0]));
        return new Uplift(treatment, holdout, difference, p2 == 0 ? null : difference / p2, low, high);
    }

    /** The Wilson score interval of a group's rate: {low, high}. */
    static double[] wilson(Group group) {
        double n = group.enrolled();
        double p = group.rate();
        double z2 = Z * Z;
        double denominator = 1 + z2 / n;
        double centre = (p + z2 / (2 * n)) / denominator;
        double half = Z / denominator * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
    }

    private static double square(double x) {
        return x * x;
    }
}
