package com.conversionrules.store;

import com.conversionrules.model.Campaign;
import com.conversionrules.model.CampaignStatus;
import com.conversionrules.model.CampaignType;
import com.conversionrules.model.ConversionGoal;
import com.conversionrules.model.ConversionWindow;
import com.conversionrules.model.Reentry;
import com.conversionrules.model.Rejection;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/** SQL for the campaigns table. */
final class CampaignRecords {
    private static final int SQLITE_CONSTRAINT = 19;
    private static final ObjectMapper JSON = new ObjectMapper();

    private CampaignRecords() {
    }

    static void insert(Connection connection, Campaign campaign) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO campaigns (name, type, conversion_event, status, created_at, launched_at, ended_at,
                conversion_window, conversion_events, reentry, holdout_percent, id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            bind(insert, campaign);
            insert.executeUpdate();
        } catch (SQLException e) {
            if (e.getErrorCode() == SQLITE_CONSTRAINT) {
                throw Rejection.conflict("a campaign with id '" + campaign.id() + "' already exists; choose another id");
            }
            throw e;
        }
    }

    static void update(Connection connection, Campaign campaign) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE campaigns SET name = ?, type = ?, conversion_event = ?, status = ?, created_at = ?,
                launched_at = ?, ended_at = ?, conversion_window = ?, conversion_events = ?, reentry = ?,
                holdout_percent = ? WHERE id = ?""")) {
            bind(update, campaign);
            if (update.executeUpdate() != 1) {
                throw Rejection.notFound("no campaign with id '" + campaign.id() + "'");
            }
        }
    }

    static List<Campaign> all(Connection connection) throws SQLException {
        List<Campaign> campaigns = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT id, name, type, conversion_event, status, created_at, launched_at, ended_at,
                conversion_window, conversion_events, reentry, holdout_percent FROM campaigns ORDER BY created_at, id""");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                String window = rows.getString(9);
                String reentry = rows.getString(11);
                campaigns.add(new Campaign(rows.getString(1), rows.getString(2), CampaignType.fromWire(rows.getString(3)),
                        goals(rows.getString(4), rows.getString(10)), window == null ? null : ConversionWindow.parse(window),
                        reentry == null ? Reentry.ALWAYS : Reentry.parse(reentry), rows.getInt(12),
                        CampaignStatus.fromWire(rows.getString(5)), rows.getLong(6),
                        nullableLong(rows, 7), nullableLong(rows, 8)));
            }
        }
        return campaigns;
    }

    /** The id column stays last, so insert and update bind the same way. */
    private static void bind(PreparedStatement statement, Campaign campaign) throws SQLException {
        statement.setString(1, campaign.name());
        statement.setString(2, campaign.type().wire());
        // The first conversion event, as a version that knows only one reads it.
        statement.setString(3, campaign.conversionEvent());
        statement.setString(4, campaign.status().wire());
        statement.setLong(5, campaign.createdAt());
        setNullableLong(statement, 6, campaign.launchedAt());
        setNullableLong(statement, 7, campaign.endedAt());
        statement.setString(8, campaign.conversionWindow() == null ? null : campaign.conversionWindow().toString());
        statement.setString(9, goalsJson(campaign.goals()));
        statement.setString(10, campaign.reentry().equals(Reentry.ALWAYS) ? null : campaign.reentry().toString());
        statement.setInt(11, campaign.holdoutPercent());
        statement.setString(12, campaign.id());
    }

    /** Null for a single conversion event with no window of its own: conversion_event says it all. */
    private static String goalsJson(List<ConversionGoal> goals) throws SQLException {
        if (goals.size() == 1 && goals.get(0).conversionWindow() == null) {
            return null;
        }
        ArrayNode array = JSON.createArrayNode();
        for (ConversionGoal goal : goals) {
            array.addObject().put("id", goal.conversionEvent()).put("conversionWindow",
                    goal.conversionWindow() == null ? null : goal.conversionWindow().toString());
        }
        try {
            return JSON.writeValueAsString(array);
        } catch (JsonProcessingException e) {
            throw new SQLException("cannot write the conversion events of a campaign", e);
        }
    }

    private static List<ConversionGoal> goals(String conversionEvent, String json) throws SQLException {
        if (json == null) {
            return ConversionGoal.only(conversionEvent);
        }
        List<ConversionGoal> goals = new ArrayList<>();
        try {
            for (JsonNode goal : JSON.readTree(json)) {
                String window = goal.path("conversionWindow").isTextual() ? goal.get("conversionWindow").asText() : null;
                goals.add(new ConversionGoal(goal.path("id").asText(),
                        window == null ? null : ConversionWindow.parse(window)));
            }
        } catch (JsonProcessingException e) {
            throw new SQLException("the conversion events of a campaign are not readable: " + json, e);
        }
        return goals;
    }

    private static void setNullableLong(PreparedStatement statement, int index, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.INTEGER);
        } else {
            statement.setLong(index, value);
        }
    }

    private static Long nullableLong(ResultSet rows, int column) throws SQLException {
        long value = rows.getLong(column);
        return rows.wasNull() ? null : value;
    }
}
